"""Publishing: reviewed catalogs rebuilt into English articles (text, Markdown, HTML) with English typography."""
