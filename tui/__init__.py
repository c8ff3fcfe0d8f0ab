"""Postroom's faces: the Textual app and the `postroom` command line. Shows state, asks for intent."""
