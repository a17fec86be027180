"""Submissions by e-mail and Word (Điều 8.1): from the mailbox to a draft in the review chain.

`sources` finds the inputs, `word` and `fonts` read a .docx (legacy fonts converted with
`portal.vntext`), `markdown` makes the Markdown, `draft` the front matter, `mail` a whole
message, `chain` the branch and commit, `imap` the mailbox, `cli` the command.
"""
