"""The LINE Messaging API push, through the maintained SDK (line-bot-sdk, its v3 API).

LINE_API_HOST (settings) is where the requests go: https://api.line.me in production; the tests
point it at a local HTTP server standing in for LINE, which this machine cannot reach.
"""

from django.conf import settings
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, PushMessageRequest, TextMessage

# LINE refuses a text message longer than this.
MAX_TEXT = 5000


def push(access_token, to, text):
    """Push one text message to a group or user id; raises the SDK's ApiException on refusal."""
    configuration = Configuration(host=settings.LINE_API_HOST, access_token=access_token)
    with ApiClient(configuration) as client:
        MessagingApi(client).push_message(
            PushMessageRequest(to=to, messages=[TextMessage(text=text[:MAX_TEXT])])
        )
