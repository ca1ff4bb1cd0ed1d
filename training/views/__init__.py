"""Views of the training app: learning (the player), and more as modules grow."""
