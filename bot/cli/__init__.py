"""The organisers' command line: `nomination-bot stats|export|show|resend|purge`."""
