"""Services: writes and side effects, one module per area (letters, reminders)."""
