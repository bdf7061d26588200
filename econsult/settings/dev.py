"""Local development and the demo (`make demo`): the embedded defaults.

DEBUG stays off unless DEBUG=1 is set: the demo is what people try first, and with DEBUG on an
unknown address answers with Django's debug page, which lists every URL pattern of the site
(and a failing page shows the settings). Static files are served by WhiteNoise from the apps'
folders and uploaded media by Django, both without DEBUG.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
SERVE_MEDIA = True
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
