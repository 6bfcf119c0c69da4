"""The three working screens and the modal ones."""
