"""One place that answers "may this user …?" and "which objects may this user …?".

The admin, the public site, the translators' workspace and the API all ask here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from articles.models import Article, TranslationVersion
from articles.roles import Role, roles_of
from articles.states import CLOSED, EDITABLE_BY_AUTHOR, REVISABLE_TRANSLATION, UNDECIDED, State


def _is_translation(obj_or_model) -> bool:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return issubclass(model, TranslationVersion)


@dataclass(frozen=True)
class SystemActor:
    """A program acting in the workflow (not a person): named in the audit trail."""

    name: str
    may: frozenset[str]
    pk = None
    is_authenticated = False

    def get_username(self) -> str:
        return self.name


# The scheduler publishes what falls due; it also unpublishes, but only what an editor
# scheduled to be unpublished once that time has come (see `can_transition`).
SCHEDULER = SystemActor("scheduler", frozenset({"publish"}))
IMPORTER = SystemActor("importer", frozenset({"submit"}))

# What an action brings about on other objects as part of it: publishing a translation
# version archives ("unpublish") the live version of its language that it replaces;
# submitting new pending changes over approved ones withdraws that approval ("reopen").
IMPLIED_ACTIONS: dict[str, frozenset[str]] = {
    "publish": frozenset({"unpublish"}),
    "submit": frozenset({"reopen"}),
}
# What authors may do to their own work: submit it, and withdraw it from review.
AUTHOR_ACTIONS = frozenset({"submit", "withdraw"})


def can_transition(user, obj: Model, action: str, *, as_part_of: str | None = None) -> bool:
    """Whether `user` may apply the workflow action `action` to `obj`.

    System actors may do only their one job (the scheduler publishes what is due and
    unpublishes what an editor scheduled to be unpublished, the importer submits) and
    what that job implies when the workflow does it as part of it (`as_part_of`, see
    IMPLIED_ACTIONS). Editors may do everything; authors may only submit their own work
    (contributors their drafts, translators their translation versions) and withdraw it
    while it waits for a reviewer (the transition table allows it from `in_review` only).
    """
    if user is None:
        user = SCHEDULER
    if as_part_of is not None and action in IMPLIED_ACTIONS.get(as_part_of, frozenset()):
        action = as_part_of
    if isinstance(user, SystemActor):
        if user == SCHEDULER and action == "unpublish":
            due = getattr(obj, "unpublish_at", None)
            return due is not None and due <= timezone.now()
        return action in user.may
    roles = roles_of(user)
    if Role.EDITOR in roles:
        return True
    if action not in AUTHOR_ACTIONS or obj.author_id != user.pk:
        return False
    if _is_translation(obj):
        return Role.TRANSLATOR in roles
    return Role.CONTRIBUTOR in roles


def can_edit(user, obj: Model) -> bool:
    """Editors edit everything; authors edit their own work while it is theirs to edit."""
    roles = roles_of(user)
    if Role.EDITOR in roles:
        return True
    if getattr(obj, "author_id", None) != user.pk or obj.state not in EDITABLE_BY_AUTHOR:
        return False
    if _is_translation(obj):
        return Role.TRANSLATOR in roles
    return Role.CONTRIBUTOR in roles


def can_create(user, model: type[Model]) -> bool:
    roles = roles_of(user)
    if Role.EDITOR in roles:
        return True
    if _is_translation(model):
        return Role.TRANSLATOR in roles
    return Role.CONTRIBUTOR in roles


def owned_by(user, queryset: QuerySet) -> QuerySet:
    """The part of a moderated queryset `user` may work on (not what readers see)."""
    roles = roles_of(user)
    if Role.EDITOR in roles:
        return queryset
    if Role.CONTRIBUTOR in roles and not _is_translation(queryset.model):
        return queryset.filter(author=user)
    if Role.TRANSLATOR in roles and _is_translation(queryset.model):
        return queryset.filter(author=user)
    return queryset.none()


def editable_by(user, queryset: QuerySet) -> QuerySet:
    """The part of a moderated queryset `user` may change (`can_edit`, for many)."""
    if Role.EDITOR in roles_of(user):
        return queryset
    return owned_by(user, queryset).filter(state__in=EDITABLE_BY_AUTHOR)


def in_authors_hands() -> Q:
    """Work still private to its author: a draft (or work sent back) by someone who is
    not an editor. Editors' drafts and authorless ones (wire imports) are the desk's."""
    from django.contrib.auth import get_user_model

    editors = get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__name=Role.EDITOR))
    return Q(state__in=EDITABLE_BY_AUTHOR, author__isnull=False) & ~Q(author__in=editors)


def shared_with(user, queryset: QuerySet) -> QuerySet:
    """The part of a moderated queryset shown to `user` where they work (not what readers
    see): everything for editors; for others all but someone else's work still in its
    author's hands. The parts of an article in its preview, the articles a translator
    may open."""
    if Role.EDITOR in roles_of(user):
        return queryset
    private = in_authors_hands()
    if getattr(user, "pk", None) is not None:
        private &= ~Q(author=user.pk)
    return queryset.exclude(private)


def can_preview(user, article: Model) -> bool:
    """Whether `user` may see an unpublished article as readers will (the admin preview):
    staff editors any article, staff contributors their own, in whatever state."""
    if not getattr(user, "is_staff", False):
        return False
    roles = roles_of(user)
    if Role.EDITOR in roles:
        return True
    return Role.CONTRIBUTOR in roles and article.author_id == user.pk


def can_review(user) -> bool:
    """Editors review: the review queue, the side-by-side translation review, and
    unpublished articles through the API."""
    return Role.EDITOR in roles_of(user)


def can_use_workspace(user) -> bool:
    """The translators' workspace and the translations API: translators and editors."""
    roles = roles_of(user)
    return Role.TRANSLATOR in roles or Role.EDITOR in roles


def can_delete(user, obj: Model) -> bool:
    """Editors delete anything; authors only their own drafts."""
    if Role.EDITOR in roles_of(user):
        return True
    return obj.author_id == user.pk and obj.state == State.DRAFT


def can_revise(user, version: Model) -> bool:
    """Whether a translator may start a new version from their `version` (sent back,
    approved or live) of an article still open for translation."""
    return (
        version.author_id == user.pk
        and version.state in REVISABLE_TRANSLATION
        and version.article.state not in CLOSED
    )


def can_import(user) -> bool:
    """Editors and contributors import wire copy (the command and the admin intake)."""
    return can_create(user, Article)


def can_reimport(user, obj: Model) -> bool:
    """Whether a re-import by `user` (None: the command line, as the importer) may change
    `obj`: only what nobody has decided on yet, and only what the user may edit."""
    if obj.state not in UNDECIDED:
        return False
    return user is None or can_edit(user, obj)


def can_see(user, obj: Model) -> bool:
    """Whether `user` may see `obj` on the staff side (its thread included): editors
    everything, authors their own work (contributors their content, translators their
    translation versions). Readers never: comments and assignments are not public."""
    roles = roles_of(user)
    if Role.EDITOR in roles:
        return True
    if getattr(obj, "author_id", None) != user.pk:
        return False
    if _is_translation(obj):
        return Role.TRANSLATOR in roles
    return Role.CONTRIBUTOR in roles


def can_comment(user, obj: Model) -> bool:
    """Everyone who may see an item may write in (and resolve comments of) its thread."""
    return can_see(user, obj)


def can_assign(user) -> bool:
    """Editors assign reviews (to themselves: "I'm on it", or to another editor)."""
    return can_review(user)


def can_be_assigned(user) -> bool:
    """Reviews go to editors only."""
    return can_review(user)


def can_send_signoff(user) -> bool:
    """Editors send (and revoke) outside sign-off links."""
    return can_review(user)


def can_recover(user) -> bool:
    """Deleted objects are nobody's any more: only editors see and recover them."""
    return Role.EDITOR in roles_of(user)
