from servant_cli.console import run

run()
