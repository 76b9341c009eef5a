"""Site-wide roles. Team roles live in Membership; these are the ones that cross teams."""

PRIVACY_PERM = "feedback.handle_privacy_requests"


def is_privacy_officer(user) -> bool:
    return user.is_authenticated and user.has_perm(PRIVACY_PERM)

