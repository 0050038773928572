"""The reusable browse component (design.md §6): see ``mybusiness.browse.views.BrowseView``."""
