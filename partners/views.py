from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.mixins import PublicPageMixin, PublishedArticleMixin

from .models import Partner


class PartnerListView(PublicPageMixin, ListView):
    template_name = "partners/partner_list.html"
    context_object_name = "partners"
    page_keys = ("partners",)

    def get_queryset(self):
        return Partner.objects.filter(is_active=True)


class PartnerView(PublishedArticleMixin, ListView):
    """A partner agency's card and the news we took from it."""

    template_name = "partners/partner_detail.html"

    def get_queryset(self):
        self.partner = get_object_or_404(Partner, slug=self.kwargs["slug"], is_active=True)
        return super().get_queryset().filter(source=self.partner)

    def get_page_keys(self):
        return [f"partner-{self.partner.pk}", "latest"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(partner=self.partner, **kwargs)
