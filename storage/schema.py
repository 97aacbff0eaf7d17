"""The database schema, as migrations numbered by `PRAGMA user_version`.

Each entry upgrades the schema by one version; a new table or column is a new entry at the end,
never an edit of an old one.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: nominations, their answers (one row per part of an answer) and the email outbox.
    """
    CREATE TABLE nominations (
        id INTEGER PRIMARY KEY,
        reference TEXT NOT NULL UNIQUE,
        nominator TEXT NOT NULL,
        form_id TEXT NOT NULL,
        form_version INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'draft',
        position TEXT NOT NULL,
        returning_to_review INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        submitted_at TEXT
    );
    -- One active draft per nominator; finding it is an index lookup.
    CREATE UNIQUE INDEX nominations_one_draft ON nominations (nominator) WHERE status = 'draft';
    CREATE INDEX nominations_by_nominator ON nominations (nominator, created_at);
    CREATE INDEX nominations_by_status ON nominations (status, submitted_at);

    CREATE TABLE answer_parts (
        nomination_id INTEGER NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
        field_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        source TEXT,
        text TEXT NOT NULL,
        PRIMARY KEY (nomination_id, field_id, seq)
    ) WITHOUT ROWID;

    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        nomination_id INTEGER NOT NULL REFERENCES nominations (id),
        kind TEXT NOT NULL,
        recipients TEXT NOT NULL,
        message_id TEXT NOT NULL UNIQUE,
        message BLOB NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT
    );
    CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
    -- Deleting a draft checks the outbox for rows that refer to it; without this, a full scan.
    CREATE INDEX outbox_by_nomination ON outbox (nomination_id);
    """,
    # 2: a sender claims an outbox row (a lease, until claimed_until) before sending it, so the
    # bot's worker and `outbox --send` never both send one email.
    """
    ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
    ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
    """,
    # 3: reminders for unfinished drafts. A draft's reminder falls due REMINDER_AFTER_HOURS after
    # the later of its last change (nominations.updated_at) and its last reminder, so saving an
    # answer costs no extra write. Rows exist only for drafts that have had a reminder.
    """
    CREATE TABLE reminders (
        nomination_id INTEGER PRIMARY KEY REFERENCES nominations (id) ON DELETE CASCADE,
        sent INTEGER NOT NULL,
        last_sent_at TEXT NOT NULL,  -- '' in a row kept only to hold a retry's time
        -- After a failed send: not before this time (a back-off), NULL otherwise.
        retry_at TEXT
    );
    -- Nominators who get no more reminders: they opted out, or they blocked the bot.
    CREATE TABLE reminder_stops (
        nominator TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    ) WITHOUT ROWID;
    -- No index on nominations.updated_at: every save would pay for it. Idle drafts are found
    -- by walking the drafts alone, through a partial index on drafts (see migration 7).
    """,
    # 4: the conversation's open questions: Change on a long answer replaces it with the next
    # message (replacing), and a yes/no question awaiting its reply (pending, as JSON).
    """
    ALTER TABLE nominations ADD COLUMN replacing INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE nominations ADD COLUMN pending TEXT;
    """,
    # 5: limits on one nominator (issue 12). Submits refused for being over
    # SUBMISSIONS_PER_USER_PER_DAY, for the organisers' /stats (the limit itself is counted from
    # nominations). The codes that prove a nominator's address: the code and the address are
    # kept only as hashes, and rows outlive a deleted draft so that deleting cannot reset the
    # hourly limit. A draft's code emails go with it (the outbox's key would otherwise refuse).
    """
    CREATE TABLE submit_refusals (
        id INTEGER PRIMARY KEY,
        nominator TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE email_codes (
        id INTEGER PRIMARY KEY,
        nominator TEXT NOT NULL,
        address_hash TEXT NOT NULL,
        salt TEXT NOT NULL,
        code_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        confirmed_at TEXT
    );
    CREATE INDEX email_codes_by_nominator ON email_codes (nominator, created_at);
    CREATE INDEX email_codes_by_address ON email_codes (address_hash, created_at);
    CREATE TRIGGER code_emails_go_with_their_draft BEFORE DELETE ON nominations
    WHEN OLD.status = 'draft'
    BEGIN
        DELETE FROM outbox WHERE nomination_id = OLD.id AND kind = 'verify';
    END;
    """,
    # 6: supporting files (evidence). The bytes live beside the database in evidence/, one file
    # per SHA-256; this table says which nomination and question each belongs to. Two rows may
    # share a blob (the same chart sent twice); a blob goes when no row refers to it.
    """
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        nomination_id INTEGER NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
        field_id TEXT NOT NULL,
        file_name TEXT NOT NULL,
        caption TEXT,
        media_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE INDEX evidence_by_nomination ON evidence (nomination_id, id);
    CREATE INDEX evidence_by_sha256 ON evidence (sha256);
    """,
    # 7 (issue 9): several drafts per nominator. The one-draft index becomes an ordinary partial
    # index over the drafts (idle drafts are still found through it), and each nominator's
    # `current` is the draft they last continued, the one their typed answers go to. Every
    # existing draft and nomination is kept as it is; a nominator with no row here works on their
    # newest draft.
    """
    DROP INDEX nominations_one_draft;
    CREATE INDEX nominations_drafts ON nominations (nominator) WHERE status = 'draft';
    CREATE TABLE nominators (
        nominator TEXT PRIMARY KEY,
        current_reference TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 8 (issue 9): every version of a nomination as sent, kept until the nomination is purged
    # (answers as JSON: {field id: [part text, ...]}), and when a nomination was withdrawn. A
    # withdrawn nomination keeps only its row (reference, status, dates): its answers, versions,
    # files and earlier emails are erased.
    """
    CREATE TABLE nomination_versions (
        nomination_id INTEGER NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        submitted_at TEXT NOT NULL,
        answers TEXT NOT NULL,
        PRIMARY KEY (nomination_id, version)
    ) WITHOUT ROWID;
    ALTER TABLE nominations ADD COLUMN withdrawn_at TEXT;
    """,
    # 9 (issue 9, the nominator's data): the warning a week before an idle draft is purged. A
    # row says when the draft's last warning went; a change to the draft after that (a newer
    # updated_at) makes it due for a warning again if it falls idle again.
    """
    CREATE TABLE retention_warnings (
        nomination_id INTEGER PRIMARY KEY REFERENCES nominations (id) ON DELETE CASCADE,
        warned_at TEXT NOT NULL
    );
    """,
    # 10 (issue 9): supporting statements from colleagues. One row per link a nominator asked
    # for; the token in the link is the key. A colleague who opens the link claims it (it is
    # single-use), writes their answers step by step into the row, and sends it; the nominator
    # can revoke a link until then. `step` is where the colleague is: a field, 'review' or ''.
    """
    CREATE TABLE support_statements (
        token TEXT PRIMARY KEY,
        nomination_id INTEGER NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
        status TEXT NOT NULL DEFAULT 'open',  -- open, writing, sent, revoked
        colleague TEXT,
        step TEXT NOT NULL DEFAULT '',
        answers TEXT NOT NULL DEFAULT '{}',  -- JSON: name, role, relationship, statement
        created_at TEXT NOT NULL,
        sent_at TEXT
    ) WITHOUT ROWID;
    CREATE INDEX support_by_nomination ON support_statements (nomination_id, created_at);
    CREATE INDEX support_by_colleague ON support_statements (colleague, status);
    """,
    # 11 (issue 9): a statement is written through the same engine as a nomination, so its row
    # holds the engine's state (JSON, as flows.state.NominationState) instead of a plain
    # {step: text}. Statements written before are carried over: each answer becomes one part,
    # and the step its position.
    """
    ALTER TABLE support_statements RENAME COLUMN answers TO state;
    UPDATE support_statements SET state = json_object(
        'form_id', 'supporting_statement',
        'form_version', 1,
        'reference', (
            SELECT n.reference FROM nominations AS n WHERE n.id = support_statements.nomination_id
        ),
        'position', CASE replace(step, 'paused:', '') WHEN '' THEN 'name'
            ELSE replace(step, 'paused:', '') END,
        'answers', json((
            SELECT json_group_object(a.key, json_array(json_object('text', a.value)))
            FROM json_each(support_statements.state) AS a
        ))
    )
    WHERE status IN ('writing', 'sent');
    """,
    # 12 (issue 16): Go to an unanswered question from the review carries on through the form to
    # the next unanswered one (flows.navigation), rather than back to the review after each answer.
    """
    ALTER TABLE nominations ADD COLUMN filling_gaps INTEGER NOT NULL DEFAULT 0;
    """,
    # 13 (issue 17): the Telegram updates whose effects are committed, each recorded in the
    # same transaction as its effects, so that one delivered again after a crash is skipped.
    # Pruned past Telegram's 24 hours (storage/updates.py).
    """
    CREATE TABLE handled_updates (
        update_id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL  -- Unix seconds
    );
    CREATE INDEX handled_updates_by_time ON handled_updates (at);
    """,
    # (issue 18) judging, per award (form id): judges, the single-use links that invite them
    # (only a hash of each token is kept), who judges which nomination, recusals with their
    # reason, and scores and comments once a judge submits them. An assignment's `state` is the
    # judge's scoring in progress (JSON, flows.judging.scoring); `scored_version` is the
    # nomination's version they scored, so an amendment since is known. Judging data goes with
    # its nomination: on purge (the keys cascade, and storage/purge.py deletes it first) and on
    # withdrawal (storage/versions.py).
    """
    CREATE TABLE judges (
        id INTEGER PRIMARY KEY,
        form_id TEXT NOT NULL,
        telegram_id INTEGER NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT '',
        organisation TEXT NOT NULL DEFAULT '',
        step TEXT NOT NULL DEFAULT 'name',  -- registration: name, role, organisation, '' done
        joined_at TEXT NOT NULL,
        removed_at TEXT,
        current TEXT  -- the reference of the nomination they opened last: typing goes to it
    );
    CREATE UNIQUE INDEX judges_active ON judges (form_id, telegram_id) WHERE removed_at IS NULL;
    CREATE TABLE judge_invitations (
        id INTEGER PRIMARY KEY,
        form_id TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL DEFAULT 'open',  -- open, used, revoked
        created_at TEXT NOT NULL,
        used_at TEXT,
        judge_id INTEGER REFERENCES judges (id)
    );
    CREATE TABLE judge_assignments (
        judge_id INTEGER NOT NULL REFERENCES judges (id),
        nomination_id INTEGER NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
        assigned_at TEXT NOT NULL,
        state TEXT,
        comment TEXT,
        scored_version INTEGER,
        scored_at TEXT,
        PRIMARY KEY (judge_id, nomination_id)
    ) WITHOUT ROWID;
    CREATE INDEX judge_assignments_by_nomination ON judge_assignments (nomination_id);
    CREATE TABLE judge_recusals (
        judge_id INTEGER NOT NULL REFERENCES judges (id),
        nomination_id INTEGER NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (judge_id, nomination_id)
    ) WITHOUT ROWID;
    CREATE INDEX judge_recusals_by_nomination ON judge_recusals (nomination_id);
    CREATE TABLE judge_scores (
        judge_id INTEGER NOT NULL REFERENCES judges (id),
        nomination_id INTEGER NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
        criterion_id TEXT NOT NULL,
        value INTEGER NOT NULL,
        PRIMARY KEY (judge_id, nomination_id, criterion_id)
    ) WITHOUT ROWID;
    CREATE INDEX judge_scores_by_nomination ON judge_scores (nomination_id);
    -- Judging opened and closed by an organiser (/judging), and the one reminder before the close.
    CREATE TABLE judging_rounds (
        form_id TEXT PRIMARY KEY,
        opened_at TEXT,
        closed_at TEXT,
        reminded_at TEXT
    ) WITHOUT ROWID;
    """,
    # (issue 18) the shortlist organisers pick after judging: a nomination is on it or not.
    """
    CREATE TABLE shortlist (
        nomination_id INTEGER PRIMARY KEY REFERENCES nominations (id) ON DELETE CASCADE,
        added_at TEXT NOT NULL
    );
    """,
    # (issue 19): the nominee's approval, for an award that asks for it. One row per sent
    # nomination; the link's token is kept only as its SHA-256. The nominee who opens the link
    # claims it (`approver`); `step` is where they are ('', 'note' or 'share'), `choice` what
    # they chose while a note is asked. Withdrawal erases the note and who answered; the status
    # stays on the tombstone. A nomination purged for good takes its row with it.
    """
    CREATE TABLE nominee_approvals (
        nomination_id INTEGER PRIMARY KEY REFERENCES nominations (id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL DEFAULT 'pending',  -- pending, approved, declined
        approver TEXT,
        step TEXT NOT NULL DEFAULT '',
        choice TEXT,
        note TEXT,
        share_note INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        decided_at TEXT,
        reminded_at TEXT
    );
    CREATE INDEX nominee_approvals_waiting ON nominee_approvals (status, created_at);
    CREATE INDEX nominee_approvals_by_approver ON nominee_approvals (approver, step);
    """,
    # (issue 17) Telegram updates fetched and still being handled, kept when Telegram's window of
    # 100 was full of them, so the poller may confirm them early; handed back at the next start
    # (storage/parked.py).
    """
    CREATE TABLE parked_updates (
        update_id INTEGER PRIMARY KEY,
        body TEXT NOT NULL  -- the update as Telegram's JSON
    );
    """,
    # (issue 19) a nomination amended and sent again after its nominee approved it: when the
    # nominee was told of the version sent at that time (its nominations.submitted_at), so they
    # are told once of each change, even across a restart.
    """
    ALTER TABLE nominee_approvals ADD COLUMN changed_told_at TEXT;
    """,
    # (issue 17) whether a handled Telegram update's reply has gone out: 0 from the update's own
    # commit until its handler has finished (storage/updates.py). One delivered again after a
    # crash with 0 gets where its user is shown again, so nobody waits for a lost reply. Rows
    # written before this column were answered.
    """
    ALTER TABLE handled_updates ADD COLUMN answered INTEGER NOT NULL DEFAULT 1;
    """,
)
