"""The network editor canvas: scene (mirror of the Document), view (gestures) and items."""
