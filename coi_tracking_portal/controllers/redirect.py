# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.http import request


def see_other(path):
    """Post/Redirect/Get: the answer to a form that did its work is a 303 to
    the page showing the result (under the visitor's language prefix), so
    that reloading that page does not send the form again."""
    return request.redirect(request.env["ir.http"]._url_for(path), code=303, local=True)
