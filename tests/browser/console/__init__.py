"""The officer console in a browser: its screens one by one (the story is test_officer_console)."""
