"""How a nomination's reference reads: the form's prefix and the nomination's own code, LSI-7KQ2MX.
The store draws the code; everything that shows or parses a reference reads it here."""

from __future__ import annotations


def join_reference(prefix: str, code: str) -> str:
    """The reference with the form's prefix and the nomination's code: LSI and 7KQ2MX give
    LSI-7KQ2MX."""
    return f"{prefix}-{code}"


def reference_code(reference: str) -> str:
    """The nomination's own part of a reference (7KQ2MX of LSI-7KQ2MX)."""
    return reference.rsplit("-", 1)[-1]


def reference_prefix(reference: str) -> str:
    """The form's part of a reference (LSI of LSI-7KQ2MX): which award it belongs to."""
    return reference.rsplit("-", 1)[0]
