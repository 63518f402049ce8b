"""Outside sign-off: an expiring, signed, revocable preview link of one unpublished
story for someone without an account (an analyst checking how they are quoted).

`models` holds the links and the answers; `links` issues, signs, resolves and revokes
them; `views` is the outside page (the story as it would be published, the analyst's
statements highlighted, confirm or flag each); `admin` is the editors' side.
"""
