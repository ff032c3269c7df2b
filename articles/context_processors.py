from articles.names import agency_name_lazy, agency_short_name_lazy


def agency(request):
    # Lazy: read in the language the page renders in.
    return {"AGENCY_NAME": agency_name_lazy(), "AGENCY_SHORT_NAME": agency_short_name_lazy()}
