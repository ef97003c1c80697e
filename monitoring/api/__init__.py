"""The monitoring grid's REST API (registered in kaiyuan/api.py)."""
