"""Pure core: models, protocol parsers, decoders, correlation and store.

Nothing under this package may import Textual or a network library; a test enforces it.
"""
