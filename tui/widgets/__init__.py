"""Reusable widgets that render what screens hand them."""
