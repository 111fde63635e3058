"""Paper claim forms: CMS-1500 (02/12) and UB-04 (CMS-1450) as PDF, data-only or review."""

from __future__ import annotations

from openrcm.claims.forms.render import Flavour, cms1500_pdf, ub04_pdf
from openrcm.claims.forms.values import FormError, Page, cms1500_pages, ub04_pages

__all__ = ["Flavour", "FormError", "Page", "cms1500_pages", "cms1500_pdf", "ub04_pages", "ub04_pdf"]
