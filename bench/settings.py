"""The portal's own settings (kcity.settings, read from the same environment) with the bench's URLs on top.

Nothing else changes: with DJANGO_DEBUG=false this is the production configuration. The only addition is the
bare view (bench.views.bare) that every page is compared with, served by the same processes.
"""

from kcity.settings import *  # noqa: F403  (the whole configuration, unchanged)

ROOT_URLCONF = "bench.urls"
