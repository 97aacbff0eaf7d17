"""The nomination form as data and the pure state machine that walks a nominator through it.

Nothing in this package does I/O, uses asyncio or knows about Telegram: it is given a state and an
event and returns the next state and the effects a front end should render.
"""
