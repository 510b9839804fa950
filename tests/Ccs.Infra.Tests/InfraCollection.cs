namespace Ccs.Infra.Tests;

/// <summary>Shares one <see cref="CompiledInfra"/> (one round of bicep runs) across all test classes.</summary>
[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<CompiledInfra>
{
    public const string Name = "infra";
}
