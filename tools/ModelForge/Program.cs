return Rag.ModelForge.Cli.ForgeCommand.Run(args);
