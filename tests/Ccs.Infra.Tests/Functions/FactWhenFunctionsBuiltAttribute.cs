namespace Ccs.Infra.Tests.Functions;

/// <summary>
/// A fact about the built function app, skipped (with the reason shown) while src/Ccs.Functions does not exist or
/// does not yet declare what the test needs, so the infra tests stay green while the app is being written.
/// </summary>
public sealed class FactWhenFunctionsBuiltAttribute : FactAttribute
{
    /// <summary>Also skip until the app declares Ccs.Functions.AppSettingNames.</summary>
    public bool NeedsAppSettingNames { get; set; }

    public override string? Skip
    {
        get => base.Skip ?? Reason();
        set => base.Skip = value;
    }

    private string? Reason() =>
        !BuiltFunctionsApp.IsBuilt ? $"src/Ccs.Functions is not built: no {BuiltFunctionsApp.MetadataPath}"
        : NeedsAppSettingNames && !BuiltFunctionsApp.DeclaresAppSettingNames
            ? "src/Ccs.Functions does not declare Ccs.Functions.AppSettingNames yet"
            : null;
}
