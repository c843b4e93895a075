return Rag.ModelProvisioning.ProvisionCommand.Run(args);
