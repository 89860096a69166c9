"""Teams Workflows cards with action buttons, through Apprise's own card templates.

Apprise sends its generic Adaptive Card unless the plugin has a template file; this one is written for
the attempt (the buttons' URLs differ per notification) into a private temporary file, and Apprise fills in
the title and the message itself (escaped for JSON). The recipient URL can never name a template.
"""

import json
import os
import tempfile

from apprise import AppriseAttachment


def card(buttons):
    """The Workflows message: an Adaptive Card with the title, the message and the buttons."""
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        {
                            "type": "TextBlock",
                            "text": "{{app_title}}",
                            "style": "heading",
                            "weight": "Bolder",
                            "size": "Large",
                            "wrap": True,
                        },
                        {"type": "TextBlock", "text": "{{app_body}}", "wrap": True},
                    ],
                    "actions": buttons,
                    "msteams": {"width": "full"},
                },
            }
        ],
    }


def use_for(stack, plugin, buttons):
    """Give `plugin` a card with `buttons` until `stack` closes (then the file is removed)."""
    handle, path = tempfile.mkstemp(prefix="teams-card-", suffix=".json")
    stack.callback(os.unlink, path)
    with os.fdopen(handle, "w") as file:
        json.dump(card(buttons), file)
    template = AppriseAttachment(asset=plugin.asset)
    template.add(path)
    template[0].max_file_size = plugin.max_workflows_template_size
    plugin.template = template
