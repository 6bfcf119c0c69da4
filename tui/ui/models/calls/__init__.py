"""What the Calls screen shows, apart from Textual: its columns, its sorts, its counts."""
