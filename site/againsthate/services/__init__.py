"""The logic of the site. Nothing here touches a Flask request."""
