document.getElementById('root')!.textContent='popup'
