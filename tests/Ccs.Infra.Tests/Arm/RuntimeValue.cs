namespace Ccs.Infra.Tests.Arm;

/// <summary>
/// A value Resource Manager only knows while the deployment runs, such as an identity's clientId or a listKeys
/// result. The simulation keeps where it comes from, so a test can still check that a setting reads the right thing.
/// </summary>
public sealed record RuntimeValue(string Source)
{
    public RuntimeValue Member(string name) => new($"{Source}.{name}");

    public override string ToString() => $"{{{Source}}}";

    /// <summary>The value of <c>reference(resourceId).path</c>, e.g. Reference(identityId, "clientId").</summary>
    public static RuntimeValue Reference(string resourceId, string path) => new($"reference({resourceId}).{path}");
}
