"""The web face: the JSON API (``api``) beside the site and the sign-up pages."""
