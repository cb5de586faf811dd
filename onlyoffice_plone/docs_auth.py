"""Reading the token ONLYOFFICE Docs sends in an HTTP header of a request to Plone."""


def header_token(request, header_name):
    """The raw value of Docs' token header (e.g. ``Bearer eyJ…``), or None.

    Zope moves ``Authorization`` out of the request's environment into ``request._auth``
    (it carries login credentials there), so ``getHeader("Authorization")`` is always
    empty; any other header name is read as it is.
    """
    if header_name.lower() == "authorization":
        return getattr(request, "_auth", None) or None
    return request.getHeader(header_name) or None
