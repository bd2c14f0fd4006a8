/** "Watch" / "Stop watching" for an issue or a machine: one plain POST form (works without JavaScript). */

export function WatchButton({ watching, what }: { watching: boolean; what: "issue" | "machine" }) {
  return (
    <form method="post" className="inline">
      <input type="hidden" name="intent" value="watch" />
      <input type="hidden" name="watch" value={watching ? "off" : "on"} />
      <button
        type="submit"
        className="btn-secondary"
        aria-pressed={watching}
        title={watching ? `You get this ${what}'s notifications` : `Get this ${what}'s notifications`}
      >
        {watching ? "Watching ✓ (stop)" : "Watch"}
      </button>
    </form>
  );
}
