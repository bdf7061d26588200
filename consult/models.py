"""Feedback, moderation and drafters' responses arrive with the feedback issue."""
