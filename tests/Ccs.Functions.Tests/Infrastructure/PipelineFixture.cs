namespace Ccs.Functions.Tests.Infrastructure;

/// <summary>One in-memory Azurite and one pipeline on the tiny models, shared by the tests of a collection.</summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;

    public PipelineHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartAsync();
        Host = await PipelineHost.StartAsync(Azurite, RepoPaths.TinyModels);
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PipelineCollection : ICollectionFixture<PipelineFixture>
{
    public const string Name = "pipeline on Azurite";
}
