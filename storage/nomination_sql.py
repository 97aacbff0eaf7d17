"""The SQL of the nominations store (storage/nominations.py): its column lists and statements,
written once. The f-strings join only the constant column names here, never a value."""

from __future__ import annotations

# The nominations columns a record is built from, in this order wherever one is read (see
# _build_record); each answer part adds PART_COLUMNS after them.
COLUMNS = (
    "id",
    "reference",
    "nominator",
    "form_id",
    "form_version",
    "status",
    "position",
    "returning_to_review",
    "replacing",
    "pending",
    "filling_gaps",
    "created_at",
    "updated_at",
    "submitted_at",
)
SELECT_COLUMNS = ", ".join(f"n.{column}" for column in COLUMNS)
PART_COLUMNS = ("field_id", "source", "text")
SELECT_PARTS = ", ".join(f"p.{column}" for column in PART_COLUMNS)
# The f-strings below join only the constant column names above, never a value (hence noqa S608).
# One statement fetches the nomination and its parts: one round trip and one consistent read.
# The draft being worked on: the one the nominator last continued (nominators.current_reference),
# or, with none (or that one sent or deleted), their most recently changed draft. The
# `status = 'draft'` term lets SQLite use the partial index nominations_drafts.
ACTIVE_DRAFT = f"""
    SELECT {SELECT_COLUMNS}, {SELECT_PARTS}
    FROM nominations AS n LEFT JOIN answer_parts AS p ON p.nomination_id = n.id
    WHERE n.id = (
        SELECT d.id FROM nominations AS d
        WHERE d.nominator = ?1 AND d.status = 'draft'
        ORDER BY d.reference = (
                SELECT c.current_reference FROM nominators AS c WHERE c.nominator = ?1
            ) DESC,
            d.updated_at DESC, d.id DESC
        LIMIT 1
    )
    ORDER BY p.field_id, p.seq
"""  # noqa: S608
OF_NOMINATOR = f"""
    SELECT {SELECT_COLUMNS}, {SELECT_PARTS}
    FROM nominations AS n LEFT JOIN answer_parts AS p ON p.nomination_id = n.id
    WHERE n.nominator = ?
    ORDER BY n.created_at DESC, n.id DESC, p.field_id, p.seq
"""  # noqa: S608
SET_CURRENT = """
    INSERT INTO nominators (nominator, current_reference) VALUES (?, ?)
    ON CONFLICT (nominator) DO UPDATE SET current_reference = excluded.current_reference
"""
BY_REFERENCE = f"""
    SELECT {SELECT_COLUMNS}, {SELECT_PARTS}
    FROM nominations AS n LEFT JOIN answer_parts AS p ON p.nomination_id = n.id
    WHERE n.reference = ?
    ORDER BY p.field_id, p.seq
"""  # noqa: S608
# Sent nominations, and those being amended (drafts with versions: exported as last sent).
SUBMITTED = f"""
    SELECT {SELECT_COLUMNS}
    FROM nominations AS n
    WHERE n.status = 'submitted' OR (n.status = 'draft' AND EXISTS (
        SELECT 1 FROM nomination_versions AS v WHERE v.nomination_id = n.id))
    ORDER BY n.submitted_at, n.id
"""  # noqa: S608
SUBMITTED_PARTS = f"""
    SELECT p.nomination_id, {SELECT_PARTS}
    FROM answer_parts AS p JOIN nominations AS n ON n.id = p.nomination_id
    WHERE n.status = 'submitted'
    ORDER BY n.submitted_at, n.id, p.field_id, p.seq
"""  # noqa: S608
STATUS_OF = "SELECT status FROM nominations WHERE reference = ?"
COUNT_BY_STATUS = "SELECT status, count(*) FROM nominations GROUP BY status"
INSERT_DRAFT = """
    INSERT INTO nominations (reference, nominator, form_id, form_version, status, position,
                             returning_to_review, created_at, updated_at)
    VALUES (?, ?, ?, ?, 'draft', ?, 0, ?, ?)
    ON CONFLICT (reference) DO NOTHING
    RETURNING id
"""
# None of the columns set here is indexed, so keeping a draft's place costs one row write and no
# index writes. Only submission touches the indexed status (see SUBMIT).
UPDATE_DRAFT = """
    UPDATE nominations
    SET form_id = ?, form_version = ?, position = ?, returning_to_review = ?, replacing = ?,
        pending = ?, filling_gaps = ?, updated_at = ?
    WHERE reference = ? AND status = 'draft'
    RETURNING id
"""
SUBMIT = """
    UPDATE nominations
    SET form_id = ?, form_version = ?, position = ?, returning_to_review = ?, replacing = ?,
        pending = ?, filling_gaps = ?, updated_at = ?,
        status = 'submitted', submitted_at = ?
    WHERE reference = ? AND status = 'draft'
    RETURNING id
"""
DELETE_FIELD = "DELETE FROM answer_parts WHERE nomination_id = ? AND field_id = ?"
INSERT_PART = """
    INSERT INTO answer_parts (nomination_id, field_id, seq, source, text) VALUES (?, ?, ?, ?, ?)
"""
# A draft that has versions is a sent nomination being amended: it is cancelled, not deleted.
DELETE_DRAFT = """
    DELETE FROM nominations WHERE reference = ? AND status = 'draft'
    AND NOT EXISTS (SELECT 1 FROM nomination_versions AS v WHERE v.nomination_id = nominations.id)
"""
