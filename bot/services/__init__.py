"""The use cases: nominating, amending and withdrawing, email codes, evidence, supporting
statements, the nominator's data and the organisers' tools. Each takes its ports (Protocols) by
construction; none imports a screen or a front end."""
