"""Who may open which kind of editor session on an item.

Editing needs Modify portal content. The add-on's own permissions let a site grant lesser
sessions to people who may not modify the item: review only (changes are tracked, nothing
else can change), comment only, fill forms only. Viewing needs View.
"""

from dataclasses import dataclass

from AccessControl import getSecurityManager

MODIFY = "Modify portal content"
VIEW = "View"
REVIEW = "onlyoffice_plone: Review documents"
COMMENT = "onlyoffice_plone: Comment documents"
FILL_FORMS = "onlyoffice_plone: Fill in forms"


@dataclass(frozen=True)
class Rights:
    """What one user may do with one document in the editor."""

    edit: bool = False
    review: bool = False
    comment: bool = False
    fill_forms: bool = False
    view: bool = False

    @property
    def can_open_editor(self):
        """Some kind of editing session (full, review, comment or forms) is allowed."""
        return self.edit or self.review or self.comment or self.fill_forms

    def permissions(self):
        """document.permissions for an editing session with these rights."""
        if self.edit:
            return {"edit": True}
        return {
            "edit": False,
            "review": self.review,
            "comment": self.comment,
            "fillForms": self.fill_forms,
        }


def rights_for(obj, classification, user=None):
    """The current user's (or ``user``'s) rights on ``obj``, limited by its format."""
    check = user.has_permission if user is not None else may
    if classification is None or not check(VIEW, obj):
        return Rights()
    if is_anonymous(user):
        # Nobody edits without a name: Docs records every change under a user.
        return Rights(view=classification.can_view)
    can_edit = classification.can_edit
    edit = can_edit and check(MODIFY, obj)
    if edit:
        return Rights(edit=True, review=True, comment=True, fill_forms=True, view=True)
    return Rights(
        review=can_edit and classification.can_review and bool(check(REVIEW, obj)),
        comment=can_edit and classification.can_comment and bool(check(COMMENT, obj)),
        fill_forms=classification.is_form and bool(check(FILL_FORMS, obj)),
        view=classification.can_view,
    )


def is_anonymous(user=None):
    """Is ``user`` (the current user without one) anonymous? (``api.user.is_anonymous``
    without the membership tool.)"""
    user = user if user is not None else getSecurityManager().getUser()
    return user is None or user.getUserName() == "Anonymous User"


def may(permission, obj):
    """Has the current user ``permission`` on ``obj``? (``api.user.has_permission`` without
    its checks: it lists every permission of the site when the answer is no.)"""
    return bool(getSecurityManager().checkPermission(permission, obj))
