"""Supporting files: saved, refused, listed and removed."""

from __future__ import annotations

# Supporting files (issue 9) -------------------------------------------------------------------
# {name} is the file's name, {size} and {limit} sizes such as "820 KB", {question} e.g. "Q2".
FILE_SAVED = "Saved {name} ({size}) with {question}. You can send more files, or carry on."
FILE_NOT_HERE = (
    "You can add files at the award questions, Q1 to Q4. Go to one of them, then send the file."
)
FILE_NO_DRAFT = "You have no nomination in progress. Tap Start, then send files at Q1 to Q4."
FILE_WRONG_TYPE = (
    "Sorry, I can't take {name}. Please send a PDF, a Word, Excel or PowerPoint file, a photo "
    "or a plain text file. Nothing else has changed."
)
FILE_TOO_BIG = "Sorry, {name} is too big. Each file can be up to {limit}. Nothing else has changed."
FILE_NO_ROOM = (
    "Sorry, {name} won't fit. All the files in one nomination can add up to {limit}, and "
    "{left} is left. Nothing else has changed."
)
FILE_FAILED = (
    "Sorry, I couldn't get {name} from Telegram, even after trying again. "
    "Please send it once more. Your answers are safe."
)
FILE_TOO_LATE = "Your nomination was sent before {name} arrived, so that file is not in it."
FILES_HEADING = "Your files"
FILES_NONE = "No files yet. You can send files at the award questions, Q1 to Q4."
FILE_LINE = "{number}. {question}: {name} ({size})"
FILES_HOW_TO_REMOVE = "To remove one, tap its button, or type /removefile and its number."
FILE_REMOVE_BUTTON = "Remove {number}"
FILE_REMOVED = "Removed {name}."
FILE_NOT_FOUND = "That file is not in your nomination now. Type /files to see your files."

# Limits on files, and the same file twice (issue 20). {count} is EVIDENCE_MAX_FILES or
# EVIDENCE_MAX_FILES_PER_QUESTION, {question} e.g. "Q2".
FILE_EMPTY = (
    "Sorry, {name} is empty (0 bytes), so there is nothing to keep. Nothing else has changed."
)
FILE_TOO_MANY = (
    "Sorry, {name} won't fit. A nomination can have up to {count} files, and this one has that "
    "many. To add another, remove one first: send /files. Nothing else has changed."
)
FILE_TOO_MANY_HERE = (
    "Sorry, {name} won't fit. Each question can have up to {count} files, and {question} has "
    "that many. To add another, remove one first: send /files. Nothing else has changed."
)
FILE_AGAIN = (
    "You sent {name} with {question} already, so I've kept just the one copy. You can send "
    "more files, or carry on."
)
