"""A notification's action links as each kind of channel shows them: buttons where it has them, else text.

An action link is {action: acknowledge|resolve|open, label, url}. The links that change something are
POSTed by ntfy's http buttons (one tap, no browser); everywhere else a link opens a page that shows what
it will do and acts on a second tap, so that mail scanners and link previews that fetch URLs never act.
"""

import html

# Where the button colours come from (e-mail); open is the neutral one.
_EMAIL_COLOURS = {"acknowledge": "#1f6feb", "resolve": "#1a7f37", "open": "#59636e"}


def of(notification):
    return list(notification.get("actions") or [])


def as_text(actions):
    """One line per link, for channels without buttons (SMS, chat without cards, plain-text mail)."""
    return "\n".join(f"{action['label']}: {action['url']}" for action in actions)


def ntfy_header(actions):
    """ntfy's X-Actions, short form: http buttons POST in the background, open is a view button."""
    buttons = []
    for action in actions:
        label = action["label"].replace(",", " ").replace(";", " ")
        if action["action"] == "open":
            buttons.append(f"view, {label}, {action['url']}")
        else:
            buttons.append(f"http, {label}, {action['url']}, method=POST, clear=true")
    return "; ".join(buttons)


def adaptive_card_actions(actions):
    """Adaptive Card Action.OpenUrl buttons (Teams Workflows cards run no HTTP actions of their own)."""
    return [{"type": "Action.OpenUrl", "title": action["label"], "url": action["url"]} for action in actions]


def slack_block(actions):
    """A Slack actions block of link buttons."""
    elements = []
    for action in actions:
        button = {"type": "button", "text": {"type": "plain_text", "text": action["label"]}, "url": action["url"]}
        if action["action"] == "acknowledge":
            button["style"] = "primary"
        elements.append(button)
    return {"type": "actions", "elements": elements}


def email_html(text, actions, footer):
    """The HTML part of a mail: the message, then one button per link."""
    buttons = "".join(
        f'<a href="{html.escape(action["url"])}" style="display:inline-block;padding:10px 18px;margin:0 8px 8px 0;'
        f"border-radius:6px;color:#ffffff;text-decoration:none;font-weight:600;"
        f'background:{_EMAIL_COLOURS.get(action["action"], "#59636e")}">{html.escape(action["label"])}</a>'
        for action in actions
    )
    lines = "<br>".join(html.escape(line) for line in footer)
    return (
        '<!doctype html><html><body style="font-family:system-ui,sans-serif">'
        f'<p style="white-space:pre-wrap">{html.escape(text)}</p><p>{buttons}</p>'
        f'<p style="color:#59636e;font-size:12px">{lines}</p></body></html>'
    )
