// Hands the browser a file to save, as a download link clicked once: the exports of every workspace.
export function saveFile(name: string, blob: Blob): void {
  const href = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = href
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  // long enough for the download to start reading it
  setTimeout(() => URL.revokeObjectURL(href), 10_000)
}
