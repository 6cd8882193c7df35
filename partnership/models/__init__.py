from .base import BasePage, without_private_pages
from .images import PartnershipImage, PartnershipRendition
from .pages import (
    DirectorateGeneralIndexPage,
    DirectorateGeneralPage,
    FrameworkPage,
    PartnershipOverviewPage,
    StandardPage,
    ThematicAreaIndexPage,
    ThematicAreaPage,
)
from .settings import FooterSettings

__all__ = [
    "BasePage",
    "DirectorateGeneralIndexPage",
    "DirectorateGeneralPage",
    "FooterSettings",
    "FrameworkPage",
    "PartnershipImage",
    "PartnershipOverviewPage",
    "PartnershipRendition",
    "StandardPage",
    "ThematicAreaIndexPage",
    "ThematicAreaPage",
    "without_private_pages",
]
