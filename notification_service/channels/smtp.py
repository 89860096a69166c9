"""E-mail over SMTP (settings SMTP_*): plain text, optionally STARTTLS or implicit TLS, optionally logged in."""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from notification_service.channels import actions
from notification_service.channels.common import DeliveryError, incident_link, title_of


def build_message(config, notification):
    message = EmailMessage()
    sender = config["SMTP_FROM"]
    message["From"] = sender
    message["To"] = notification["recipient"]
    message["Subject"] = title_of(notification, 200)
    message["Date"] = formatdate(localtime=False)
    # The same id on every retry, so that mail clients show a repeat once.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = f"<{notification['id']}@{domain}>"
    footer = []
    if notification.get("incident_id"):
        message["X-Incident-Id"] = str(notification["incident_id"])
        footer.append(f"Incident {notification['incident_id']}")
    link = incident_link(config, notification["incident_id"])
    if link:
        footer.append(link)
    links = actions.of(notification)
    text = notification["message"] + (f"\n\n{actions.as_text(links)}" if links else "")
    message.set_content(text + ("\n\n-- \n" + "\n".join(footer) if footer else "") + "\n")
    if links:  # buttons in an HTML alternative; the plain text keeps the links for text-only clients
        message.add_alternative(actions.email_html(notification["message"], links, footer), subtype="html")
    return message


def _tls_context(config):
    return ssl.create_default_context(cafile=config.get("SMTP_CA_FILE") or None)


def send(app, notification, timeout):
    config = app.config
    message = build_message(config, notification)
    host, port = config["SMTP_HOST"], config["SMTP_PORT"]
    try:
        if config["SMTP_SSL"]:
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=_tls_context(config))
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if config["SMTP_STARTTLS"] and not config["SMTP_SSL"]:
                client.starttls(context=_tls_context(config))
            if config["SMTP_USERNAME"]:
                client.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise DeliveryError(
            f"SMTP server refused the recipient: {_describe(exc.recipients)}", all(code >= 500 for code in codes)
        ) from exc
    except smtplib.SMTPDataError as exc:
        raise DeliveryError(
            f"SMTP server refused the message: {exc.smtp_code} {_text(exc.smtp_error)}", permanent=exc.smtp_code >= 500
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"SMTP {host}:{port} answered {exc.smtp_code} {_text(exc.smtp_error)}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP {host}:{port} unreachable or failed: {type(exc).__name__}: {exc}") from exc


def _text(value):
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _describe(recipients):
    return "; ".join(f"{address}: {code} {_text(reason)}" for address, (code, reason) in recipients.items())
