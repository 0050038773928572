from django.shortcuts import render

from mybusiness.tenancy import partner_required


@partner_required
def site_list(request):
    # Filled by the sites issue ([3/8]): the browse component as a full page.
    return render(request, "sites/site_list.html")
