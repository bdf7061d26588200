"""Reads on drafts, shaped for the pages that show them."""
