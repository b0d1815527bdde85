"""The licence every open-data page and file carries, and the moment a file was generated.

The Korea Open Government Licence Type 1 (attribution only) is the licence Korean public bodies publish open data
under (Public Data Act); it is compatible with CC BY 4.0, which IATI recommends for publishers.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Licence:
    code: str
    name: str
    url: str
    attribution: str


LICENCE = Licence(
    code="KOGL-Type1",
    name=_("Korea Open Government Licence Type 1: Source Indication (compatible with CC BY 4.0)"),
    url="https://www.kogl.or.kr/info/licenseTypeEn.do",
    attribution=_("Ministry of Land, Infrastructure and Transport of the Republic of Korea, K-City Network"),
)


def generated_at():
    """When a file is generated: an aware datetime in UTC (ISO 8601 in every file)."""
    return timezone.now().replace(microsecond=0)
