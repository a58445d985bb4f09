"""Heartcards widgets; each module holds one widget and the messages it sends."""
