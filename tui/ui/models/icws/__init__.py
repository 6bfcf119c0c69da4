"""The ICWS state panel's models: the lines it draws from the state model's views."""
