from django.shortcuts import render

from mybusiness.tenancy import partner_required


@partner_required
def opportunity_list(request):
    # Filled by the opportunities issue ([4/8]): the browse component as a full page.
    return render(request, "opportunities/opportunity_list.html")
