from servant_cli.cli import main

main()
