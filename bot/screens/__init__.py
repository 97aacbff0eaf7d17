"""Effects become screens: paragraphs of styled spans and buttons that name actions from the one
action table, the same for every front end. Screens import flows and storage types only."""
